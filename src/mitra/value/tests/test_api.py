"""The value ledger's rules, each through the API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from tests import factories as f
from tests.apiclient import Api, check

from mitra.cases.models import Case
from mitra.improvement.models import Initiative
from mitra.partnerships.models import Partnership, Status
from mitra.threads.models import Event
from mitra.value import services
from mitra.value.models import ValueEntry
from mitra.value.tests.helpers import make

pytestmark = pytest.mark.django_db


def body(**extra):
    return {
        "title": "Lower safety stock of cooking oil",
        "beneficiary_side": "customer",
        "category": "stock_reduction",
        "amount": "125000000.00",
        "period_start": "2026-01-01",
        "period_end": "2026-03-31",
        "evidence": "Stock cover down from 21 to 12 days.",
        **extra,
    }


def url(world, rest=""):
    return f"/partnerships/{world.partnership.pk}/value-entries{rest}"


@pytest.fixture
def supplier(client, world):
    return Api(client, world.supplier_member)


@pytest.fixture
def customer(client, world):
    return Api(client, world.customer_member)


def record(api, world, **extra):
    return check(api, "POST", url(world), body(**extra), 201).json()


# --- recording ---------------------------------------------------------------------------------------


def test_recording_takes_side_and_user_from_the_actor_and_waits_for_confirmation(supplier, world):
    data = record(supplier, world, recorded_by_side="customer", recorded_by_id=world.customer_admin.pk)
    assert data["recorded_by_side"] == "supplier"
    assert data["recorded_by"]["id"] == world.supplier_member.pk
    assert data["status"] == "unconfirmed"
    assert data["beneficiary_side"] == "customer"
    assert Decimal(data["amount"]) == Decimal("125000000.00")
    assert data["version"] == 1
    assert data["can_answer"] is False
    entry = ValueEntry.objects.get(pk=data["id"])
    assert entry.history.count() == 1
    assert entry.history.first().history_user == world.supplier_member.user
    event = Event.objects.get(kind="value", object_id=entry.pk)
    assert (event.verb, event.actor_side) == ("recorded", "supplier")


def test_currency_defaults_to_the_recording_organisations_and_is_validated(supplier, world, client):
    world.customer.currency = "SGD"
    world.customer.save()
    assert record(supplier, world)["currency"] == world.supplier.currency == "IDR"
    assert record(Api(client, world.customer_member), world)["currency"] == "SGD"
    assert record(supplier, world, currency="usd")["currency"] == "USD"
    response = check(supplier, "POST", url(world), body(currency="XYZ"), 422)
    assert response.json()["errors"][0]["field"] == "currency"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"amount": "1.234"}, "amount"),
        ({"period_end": "2025-12-31"}, "period_end"),
        ({"category": "goodwill"}, "category"),
        ({"beneficiary_side": "both"}, "beneficiary_side"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_input_is_refused_naming_the_field(supplier, world, changes, field):
    response = check(supplier, "POST", url(world), body(**changes), 422)
    assert response.json()["errors"][0]["field"] == field


def test_links_must_be_a_case_or_initiative_of_the_same_partnership(supplier, world):
    case = make(Case, world, partnership=world.partnership, title="Late deliveries to Surabaya")
    initiative = make(Initiative, world, partnership=world.partnership, title="Vendor-managed inventory")
    foreign_case = make(Case, world, partnership=world.foreign_partnership, title="Theirs")
    foreign_initiative = make(Initiative, world, partnership=world.foreign_partnership, title="Theirs")
    data = record(supplier, world, case_id=case.pk, initiative_id=initiative.pk)
    assert (data["case_id"], data["initiative_id"]) == (case.pk, initiative.pk)
    for field, other in (("case_id", foreign_case.pk), ("initiative_id", foreign_initiative.pk)):
        response = check(supplier, "POST", url(world), body(**{field: other}), 422)
        assert response.json()["errors"][0]["field"] == field
    # Unlinking with null.
    response = check(supplier, "PATCH", url(world, f"/{data['id']}"), {"case_id": None}, 200)
    assert response.json()["case_id"] is None
    assert response.json()["initiative_id"] == initiative.pk


def test_viewers_cannot_record_and_strangers_do_not_find_the_partnership(client, world):
    check(Api(client, world.supplier_viewer), "POST", url(world), body(), 403)
    check(Api(client, world.foreign_admin), "POST", url(world), body(), 404)
    check(Api(client, world.foreign_admin), "GET", url(world), None, 404)
    check(Api(client, None), "GET", url(world), None, 401)


def test_an_ended_partnership_is_read_only(supplier, world):
    entry = record(supplier, world)
    Partnership.objects.filter(pk=world.partnership.pk).update(status=Status.ENDED)
    check(supplier, "POST", url(world), body(), 409)
    check(supplier, "PATCH", url(world, f"/{entry['id']}"), {"title": "x"}, 409)
    check(supplier, "GET", url(world, f"/{entry['id']}"), None, 200)


# --- confirming and disputing -------------------------------------------------------------------------


def test_the_other_side_confirms(supplier, customer, world):
    entry = record(supplier, world)
    assert check(customer, "GET", url(world, f"/{entry['id']}"), None, 200).json()["can_answer"] is True
    data = check(customer, "POST", url(world, f"/{entry['id']}/confirm?version=1"), None, 200).json()
    assert data["status"] == "confirmed"
    assert data["confirmed_by"]["id"] == world.customer_member.pk
    assert data["confirmed_at"] is not None
    assert data["version"] == 2
    stored = ValueEntry.objects.get(pk=entry["id"])
    assert stored.history.count() == 2
    assert stored.history.first().history_user == world.customer_member.user
    assert Event.objects.filter(
        kind="value", object_id=stored.pk, verb="confirmed", actor_side="customer"
    ).exists()


def test_the_recording_side_cannot_confirm_or_dispute_its_own_entry(supplier, client, world):
    entry = record(supplier, world)
    admin = Api(client, world.supplier_admin)  # the same side, another person: still refused
    for api in (supplier, admin):
        check(api, "POST", url(world, f"/{entry['id']}/confirm"), None, 403)
        check(api, "POST", url(world, f"/{entry['id']}/dispute"), {"reason": "Hm"}, 403)
    assert ValueEntry.objects.get(pk=entry["id"]).status == "unconfirmed"


def test_viewers_cannot_confirm(supplier, client, world):
    entry = record(Api(client, world.customer_member), world)
    check(Api(client, world.supplier_viewer), "POST", url(world, f"/{entry['id']}/confirm"), None, 403)


def test_a_dispute_needs_a_reason(supplier, customer, world):
    entry = record(supplier, world)
    for reason in ("", "   "):
        response = check(customer, "POST", url(world, f"/{entry['id']}/dispute"), {"reason": reason}, 422)
        assert response.json()["errors"][0]["field"] == "reason"
    response = check(customer, "POST", url(world, f"/{entry['id']}/dispute"), {}, 422)
    assert response.json()["errors"][0]["field"] == "reason"


def test_confirmed_or_disputed_entries_cannot_be_answered_again(supplier, customer, world):
    confirmed = record(supplier, world)
    check(customer, "POST", url(world, f"/{confirmed['id']}/confirm"), None, 200)
    check(customer, "POST", url(world, f"/{confirmed['id']}/confirm"), None, 409)
    check(customer, "POST", url(world, f"/{confirmed['id']}/dispute"), {"reason": "Wrong"}, 409)
    disputed = record(supplier, world)
    check(customer, "POST", url(world, f"/{disputed['id']}/dispute"), {"reason": "Wrong DC"}, 200)
    check(customer, "POST", url(world, f"/{disputed['id']}/confirm"), None, 409)
    check(customer, "POST", url(world, f"/{disputed['id']}/dispute"), {"reason": "Again"}, 409)


def test_confirming_a_changed_version_is_a_conflict(supplier, customer, world):
    entry = record(supplier, world)
    check(supplier, "PATCH", url(world, f"/{entry['id']}"), {"amount": "999000000"}, 200)
    check(customer, "POST", url(world, f"/{entry['id']}/confirm?version=1"), None, 409)


def test_dispute_then_correct_sends_it_back_for_confirmation(supplier, customer, world):
    entry = record(supplier, world)
    data = check(customer, "POST", url(world, f"/{entry['id']}/dispute"), {"reason": "Wrong DC"}, 200).json()
    assert (data["status"], data["dispute_reason"]) == ("disputed", "Wrong DC")
    assert data["disputed_by"]["id"] == world.customer_member.pk
    # The disputing side cannot correct the other side's entry.
    check(customer, "PATCH", url(world, f"/{entry['id']}"), {"amount": "1000000"}, 403)
    data = check(
        supplier, "PATCH", url(world, f"/{entry['id']}"), {"amount": "90000000", "version": 2}, 200
    ).json()
    assert data["status"] == "unconfirmed"
    assert Decimal(data["amount"]) == Decimal("90000000")
    assert data["version"] == 3
    check(customer, "POST", url(world, f"/{entry['id']}/confirm"), None, 200)
    verbs = list(
        Event.objects.filter(kind="value", object_id=entry["id"])
        .order_by("at", "id")
        .values_list("verb", flat=True)
    )
    assert verbs == ["recorded", "disputed", "updated", "confirmed"]
    assert ValueEntry.objects.get(pk=entry["id"]).history.count() == 4


def test_only_the_recorder_edits_and_only_before_confirmation(supplier, customer, world):
    entry = record(supplier, world)
    check(customer, "PATCH", url(world, f"/{entry['id']}"), {"title": "Mine now"}, 403)
    check(supplier, "PATCH", url(world, f"/{entry['id']}"), {"title": "Stale", "version": 7}, 409)
    check(supplier, "PATCH", url(world, f"/{entry['id']}"), {"period_end": "2025-01-01"}, 422)
    data = check(
        supplier, "PATCH", url(world, f"/{entry['id']}"), {"title": "Safety stock", "version": 1}, 200
    )
    assert data.json()["title"] == "Safety stock"
    check(customer, "POST", url(world, f"/{entry['id']}/confirm"), None, 200)
    check(supplier, "PATCH", url(world, f"/{entry['id']}"), {"title": "Sneaky"}, 409)


def test_an_entry_of_another_partnership_is_not_found_under_this_one(supplier, world, client):
    entry = record(supplier, world)
    other = f.PartnershipFactory(supplier=world.supplier, customer=world.foreign)
    check(supplier, "GET", f"/partnerships/{other.pk}/value-entries/{entry['id']}", None, 404)
    check(Api(client, world.foreign_admin), "POST", url(world, f"/{entry['id']}/confirm"), None, 404)


# --- list and summary ---------------------------------------------------------------------------------


def test_list_filters_by_status_side_and_category(supplier, customer, world):
    a = record(supplier, world)
    b = record(supplier, world, beneficiary_side="supplier", category="revenue_growth")
    record(customer, world, beneficiary_side="supplier", category="cost_saved")
    check(customer, "POST", url(world, f"/{a['id']}/confirm"), None, 200)

    def ids(query):
        return {e["id"] for e in check(supplier, "GET", url(world, query), None, 200).json()["items"]}

    assert ids("?status=confirmed") == {a["id"]}
    assert len(ids("?side=supplier")) == 2
    assert ids("?side=supplier&category=revenue_growth") == {b["id"]}
    check(supplier, "GET", url(world, "?status=bogus"), None, 422)


def test_stale_entries_are_flagged(supplier, world):
    entry = record(supplier, world)
    fresh = record(supplier, world)
    ValueEntry.objects.filter(pk=entry["id"]).update(awaiting_since=timezone.now() - dt.timedelta(days=31))
    items = {e["id"]: e for e in check(supplier, "GET", url(world), None, 200).json()["items"]}
    assert items[entry["id"]]["stale"] is True
    assert items[fresh["id"]]["stale"] is False
    summary = check(supplier, "GET", f"/partnerships/{world.partnership.pk}/value-summary", None, 200).json()
    assert summary["stale"] == 1


def summary_of(api, world):
    return check(api, "GET", f"/partnerships/{world.partnership.pk}/value-summary", None, 200).json()


def test_summary_totals_balance_and_warnings(supplier, customer, world):
    assert summary_of(supplier, world)["warnings"] == []  # an empty ledger warns nobody
    # 80 for the customer, 20 for the supplier: balanced enough, and both recent.
    for side, amount, api, answer in (
        ("customer", "80000000", supplier, customer),
        ("supplier", "20000000", customer, supplier),
    ):
        entry = record(api, world, beneficiary_side=side, amount=amount, period_end=str(timezone.localdate()))
        check(answer, "POST", url(world, f"/{entry['id']}/confirm"), None, 200)
    record(supplier, world, beneficiary_side="customer", amount="5000000")  # unconfirmed
    summary = summary_of(supplier, world)
    [idr] = summary["currencies"]
    assert Decimal(idr["confirmed_customer"]) == Decimal("80000000")
    assert Decimal(idr["confirmed_supplier"]) == Decimal("20000000")
    assert Decimal(idr["unconfirmed_customer"]) == Decimal("5000000")
    assert (idr["supplier_share"], idr["customer_share"]) == (20, 80)
    assert (summary["confirmed"], summary["unconfirmed"], summary["disputed"]) == (2, 1, 0)
    assert summary["warnings"] == [] and summary["supplier_gaining"] and summary["customer_gaining"]

    # More value for the customer: the supplier's share falls below 20 %.
    entry = record(supplier, world, amount="100000000", period_end=str(timezone.localdate()))
    check(customer, "POST", url(world, f"/{entry['id']}/confirm"), None, 200)
    summary = summary_of(customer, world)
    assert summary["currencies"][0]["supplier_share"] == 10
    assert [(w["side"], w["reason"]) for w in summary["warnings"]] == [("supplier", "low_share")]
    assert summary["supplier_gaining"] is False and summary["customer_gaining"] is True


def test_a_side_without_confirmed_value_in_twelve_months_is_not_gaining(supplier, customer, world):
    old_end = timezone.localdate() - dt.timedelta(days=400)
    old = record(
        customer,
        world,
        beneficiary_side="supplier",
        period_start=str(old_end - dt.timedelta(days=30)),
        period_end=str(old_end),
    )
    check(supplier, "POST", url(world, f"/{old['id']}/confirm"), None, 200)
    new = record(supplier, world, period_end=str(timezone.localdate()))
    check(customer, "POST", url(world, f"/{new['id']}/confirm"), None, 200)
    summary = summary_of(supplier, world)
    assert [(w["side"], w["reason"]) for w in summary["warnings"]] == [("supplier", "no_recent_value")]
    assert "PT Sumber Rasa Nusantara" in summary["warnings"][0]["message"]


def test_summary_keeps_currencies_apart(supplier, customer, world):
    for currency, amount in (("IDR", "50000000"), ("USD", "3000")):
        entry = record(
            supplier, world, currency=currency, amount=amount, period_end=str(timezone.localdate())
        )
        check(customer, "POST", url(world, f"/{entry['id']}/confirm"), None, 200)
    summary = summary_of(supplier, world)
    assert {c["currency"]: Decimal(c["confirmed_customer"]) for c in summary["currencies"]} == {
        "IDR": Decimal("50000000"),
        "USD": Decimal("3000"),
    }


def test_restricted_entries_stay_within_their_department(client, world):
    member = Api(client, world.supplier_member)  # in Finance
    hidden = record(member, world, restricted_department_id=world.supplier_finance.pk)
    sales_member = f.member(world.supplier, "member", "sales@sumber.test", [world.supplier_sales])
    sales = Api(client, sales_member)
    check(sales, "GET", url(world, f"/{hidden['id']}"), None, 404)
    assert summary_of(sales, world)["entries"] == 0
    assert summary_of(Api(client, world.customer_member), world)["entries"] == 1


def _make(world, n):
    actor = f.actor(world.supplier_admin)
    for i in range(n):
        services.value_entry_create(
            actor,
            partnership_id=world.partnership.pk,
            title=f"Gain {i}",
            beneficiary_side="customer",
            category="cost_saved",
            amount=Decimal("1000000"),
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 2, 1),
        )


def test_list_queries_stay_flat(customer, world):
    def count(n):
        ValueEntry.objects.all().delete()
        _make(world, n)
        check(customer, "GET", url(world), None, 200)  # warm up (the token's last use is noted once)
        with CaptureQueriesContext(connection) as ctx:
            response = check(customer, "GET", url(world), None, 200)
        assert len(response.json()["items"]) == n
        return len(ctx)

    assert count(2) == count(20)
