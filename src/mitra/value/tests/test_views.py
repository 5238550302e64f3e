"""Value ledger pages: the ledger and its balance, recording, correcting, confirming and disputing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from tests import factories as f

from mitra.value import services
from mitra.value.models import ValueEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):
    def sign_in(membership, language="en"):
        client.force_login(membership.user)
        client.cookies["mitra_language"] = language
        return client

    return sign_in


def make(world, membership=None, **extra):
    values = {
        "title": "Lower safety stock of cooking oil",
        "beneficiary_side": "customer",
        "category": "stock_reduction",
        "amount": Decimal("125000000"),
        "period_start": dt.date(2026, 1, 1),
        "period_end": timezone.localdate(),
        **extra,
    }
    return services.value_entry_create(
        f.actor(membership or world.supplier_member), partnership_id=world.partnership.pk, **values
    )


def list_url(world):
    return reverse("value:list", args=[world.partnership.pk])


def entry_url(world, entry, name="detail"):
    return reverse(f"value:{name}", args=[world.partnership.pk, entry.pk])


def form_data(**extra):
    return {
        "title": "Fewer emergency deliveries",
        "beneficiary_side": "customer",
        "category": "cost_saved",
        "amount": "15000000",
        "currency": "IDR",
        "period_start": "2026-01-01",
        "period_end": "2026-02-28",
        "evidence": "Freight invoices",
        "case_id": "",
        "initiative_id": "",
        **extra,
    }


@pytest.mark.parametrize("language", ["en", "id"])
def test_every_page_renders_in_both_languages(world, as_user, language):
    entry = make(world)
    client = as_user(world.customer_member, language)
    for url in (
        list_url(world),
        entry_url(world, entry),
        reverse("value:create", args=[world.partnership.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    client = as_user(world.supplier_member, language)
    assert client.get(entry_url(world, entry, "edit")).status_code == 200
    html = client.get(list_url(world)).content.decode()
    assert ("Balance of confirmed value" if language == "en" else 'lang="id"') in html


def test_the_list_shows_totals_balance_and_warning(world, as_user):
    confirmed = make(world)
    services.value_entry_confirm(
        f.actor(world.customer_member), partnership_id=world.partnership.pk, entry_id=confirmed.pk
    )
    make(world, amount=Decimal("7000000"), title="Waiting one")
    response = as_user(world.supplier_member).get(list_url(world))
    html = response.content.decode()
    assert "Lower safety stock of cooking oil" in html and "Waiting one" in html
    assert 'data-testid="value-balance-IDR"' in html
    assert 'style="width:0%"' in html and 'style="width:100%"' in html
    # The supplier has gained nothing: the warning names it.
    assert 'data-testid="value-warning"' in html
    assert "PT Sumber Rasa Nusantara has no confirmed gain" in html
    summary = response.context["summary"]
    assert summary.currencies[0].confirmed_customer == Decimal("125000000")


def test_the_list_filters(world, as_user):
    make(world, title="For the customer")
    make(world, title="For the supplier", beneficiary_side="supplier")
    html = as_user(world.supplier_member).get(list_url(world) + "?side=supplier").content.decode()
    assert "For the supplier" in html and "For the customer" not in html


def test_list_page_queries_stay_flat(world, as_user):
    client = as_user(world.supplier_member)

    def count(n):
        ValueEntry.objects.all().delete()
        for i in range(n):
            make(world, title=f"Gain {i}")
        client.get(list_url(world))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(list_url(world)).status_code == 200
        return len(ctx)

    assert count(2) == count(20)


def test_recording_through_the_form(world, as_user):
    client = as_user(world.supplier_member)
    url = reverse("value:create", args=[world.partnership.pk])
    response = client.get(url)
    assert response.context["form"].initial["beneficiary_side"] == "customer"
    assert response.context["form"].initial["currency"] == "IDR"
    response = client.post(url, form_data())
    entry = ValueEntry.objects.get()
    assert response.status_code == 302 and response["Location"] == entry.get_absolute_url()
    assert (entry.recorded_by_side, entry.recorded_by, entry.status) == (
        "supplier",
        world.supplier_member,
        "unconfirmed",
    )


def test_the_form_shows_field_errors(world, as_user):
    client = as_user(world.supplier_member)
    url = reverse("value:create", args=[world.partnership.pk])
    response = client.post(url, form_data(period_end="2025-01-01"))
    assert response.status_code == 200
    assert response.context["form"].errors["period_end"] == ["The period cannot end before it starts."]
    response = client.post(url, form_data(currency="ABC"))
    assert "currency" in response.context["form"].errors
    response = client.post(url, form_data(amount="0"))
    assert "amount" in response.context["form"].errors
    assert not ValueEntry.objects.exists()


def test_viewers_cannot_open_the_form(world, as_user):
    assert (
        as_user(world.supplier_viewer).get(reverse("value:create", args=[world.partnership.pk])).status_code
        == 403
    )


def test_the_other_side_confirms_on_the_page(world, as_user):
    entry = make(world)
    client = as_user(world.supplier_member)
    html = client.get(entry_url(world, entry)).content.decode()
    assert "Confirm this gain" not in html and "Waiting for the other side" in html
    assert client.post(entry_url(world, entry, "confirm"), {"version": entry.version}).status_code == 403
    client = as_user(world.customer_member)
    assert "Confirm this gain" in client.get(entry_url(world, entry)).content.decode()
    response = client.post(entry_url(world, entry, "confirm"), {"version": entry.version}, follow=True)
    assert "You confirmed this gain" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == "confirmed"
    # Again: a conflict, shown as a message.
    response = client.post(entry_url(world, entry, "confirm"), follow=True)
    assert "already confirmed" in response.content.decode()


def test_an_odd_posted_version_is_ignored_not_a_server_error(world, as_user):
    # "²" counts as a digit for str.isdigit() but is no number for int(): it must not reach int().
    entry = make(world)
    client = as_user(world.customer_member)
    response = client.post(entry_url(world, entry, "confirm"), {"version": "²"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == "confirmed"


def test_dispute_on_the_page_needs_a_reason_and_then_the_recorder_corrects(world, as_user):
    entry = make(world)
    client = as_user(world.customer_member)
    response = client.post(entry_url(world, entry, "dispute"), {"reason": "", "version": entry.version})
    assert response.context["dispute_form"].errors["reason"]
    entry.refresh_from_db()
    assert entry.status == "unconfirmed"
    client.post(entry_url(world, entry, "dispute"), {"reason": "Wrong DC", "version": entry.version})
    entry.refresh_from_db()
    assert (entry.status, entry.dispute_reason) == ("disputed", "Wrong DC")
    assert client.get(entry_url(world, entry, "edit")).status_code == 403
    client = as_user(world.supplier_member)
    assert "Wrong DC" in client.get(entry_url(world, entry, "edit")).content.decode()
    response = client.post(
        entry_url(world, entry, "edit"), form_data(version=entry.version, amount="99000000")
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.status, entry.amount) == ("unconfirmed", Decimal("99000000"))


def test_strangers_get_404(world, as_user):
    entry = make(world)
    client = as_user(world.foreign_admin)
    for url in (list_url(world), entry_url(world, entry), entry_url(world, entry, "edit")):
        assert client.get(url).status_code == 404
    assert client.post(entry_url(world, entry, "confirm")).status_code == 404
    assert client.post(entry_url(world, entry, "dispute"), {"reason": "x"}).status_code == 404
    entry.refresh_from_db()
    assert entry.status == "unconfirmed"


def test_the_overview_card(world, django_assert_max_num_queries):
    entry = make(world)
    services.value_entry_confirm(
        f.actor(world.customer_member), partnership_id=world.partnership.pk, entry_id=entry.pk
    )
    partnership = (
        type(world.partnership).objects.select_related("supplier", "customer").get(pk=world.partnership.pk)
    )
    template = Template("{% load value_web %}{% value_summary p actor %}")
    with django_assert_max_num_queries(3):
        html = template.render(Context({"p": partnership, "actor": f.actor(world.supplier_member)}))
    assert 'data-testid="value-summary"' in html
    assert "has no confirmed gain" in html  # the supplier gains nothing yet
