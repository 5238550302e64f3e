"""Commitments pages: list with reliability, the form, the detail page and its actions, in both languages."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests import factories as f

from mitra.commitments import services
from mitra.commitments.models import Commitment, CommitmentStatus
from mitra.commitments.tests.helpers import backdate, in_days


@pytest.fixture
def as_user(client):
    def sign_in(membership, language="en"):
        client.force_login(membership.user)
        client.cookies["mitra_language"] = language
        return client

    return sign_in


def list_url(world) -> str:
    return reverse("commitments:list", args=[world.partnership.pk])


def detail_url(world, c) -> str:
    return reverse("commitments:detail", args=[world.partnership.pk, c.pk])


def action_url(world, c, action) -> str:
    return reverse(f"commitments:{action}", args=[world.partnership.pk, c.pk])


def test_list_shows_commitments_and_each_sides_reliability(world, make, as_user):
    c = make(title="Kirim forecast", proactive=True)
    services.commitment_done(
        f.actor(world.supplier_admin), partnership_id=world.partnership.pk, commitment_id=c.pk
    )
    make(owner=world.customer_admin, title="Bagikan data POS")
    html = as_user(world.customer_member).get(list_url(world)).content.decode()
    assert "Kirim forecast" in html and "Bagikan data POS" in html
    assert 'id="reliability"' in html
    assert "1 of 1 kept on time" in html  # the supplier's one done commitment
    assert "Nothing settled yet" in html  # the customer's side
    assert "New commitment" in html


@pytest.mark.parametrize("language, text", [("en", "Supplier"), ("id", "Pemasok")])
def test_every_page_renders_in_english_and_indonesian(world, make, as_user, language, text):
    c = make()
    client = as_user(world.supplier_admin, language)
    for url in (
        list_url(world),
        reverse("commitments:create", args=[world.partnership.pk]),
        detail_url(world, c),
        action_url(world, c, "edit"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert f'<html lang="{language}">' in html and text in html, url


def test_list_filters(world, make, as_user):
    make(title="Open supplier")
    late = make(title="Late supplier")
    backdate(late, 3)
    make(owner=world.customer_admin, title="Open customer")
    client = as_user(world.supplier_admin)
    html = client.get(list_url(world) + "?owner_side=customer").content.decode()
    assert "Open customer" in html and "Open supplier" not in html
    html = client.get(list_url(world) + "?overdue=on").content.decode()
    assert "Late supplier" in html and "Open supplier" not in html and "Overdue" in html
    html = client.get(list_url(world) + "?status=cancelled").content.decode()
    assert "No commitment matches these filters." in html


def test_list_page_queries_do_not_grow_with_commitments(world, make, as_user):
    client = as_user(world.supplier_admin)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(list_url(world)).status_code == 200
        return len(captured.captured_queries)

    for _ in range(2):
        make(bridge_id=world.bridge.pk)
    small = queries()
    for i in range(18):
        make(owner=world.customer_member if i % 2 else world.supplier_member, bridge_id=world.bridge.pk)
    assert queries() == small
    assert client.get(list_url(world)).content.decode().count('class="table__primary"') == 20


def test_create_form_records_a_commitment_and_shows_field_errors(world, as_user):
    client = as_user(world.customer_admin)
    url = reverse("commitments:create", args=[world.partnership.pk])
    page = client.get(url).content.decode()
    # The owner chooser lists the active members of both sides; the bridge chooser this partnership's bridges.
    assert world.supplier_member.user.full_name in page and world.customer_member.user.full_name in page
    assert str(world.bridge) in page
    response = client.post(url, {"title": "", "owner_id": world.customer_member.pk, "due_date": ""})
    assert response.status_code == 200
    assert response.content.decode().count('class="error"') >= 2
    response = client.post(
        url,
        {
            "title": "Bayar tepat waktu",
            "owner_id": world.customer_member.pk,
            "due_date": in_days(-3).isoformat(),
        },
    )
    assert "The due date cannot be in the past." in response.content.decode()
    assert not Commitment.objects.exists()
    response = client.post(
        url,
        {
            "title": "Bayar tepat waktu",
            "owner_id": world.customer_member.pk,
            "due_date": in_days(5).isoformat(),
            "bridge_id": world.bridge.pk,
            "proactive": "on",
        },
    )
    c = Commitment.objects.get()
    assert response.status_code == 302 and response["Location"] == c.get_absolute_url()
    assert (c.owner_side, c.created_by_side, c.proactive, c.bridge_id) == (
        "customer",
        "customer",
        True,
        world.bridge.pk,
    )


def test_viewers_cannot_open_the_form(world, as_user):
    response = as_user(world.supplier_viewer).get(reverse("commitments:create", args=[world.partnership.pk]))
    assert response.status_code == 403
    assert "New commitment" not in as_user(world.supplier_viewer).get(list_url(world)).content.decode()


def test_edit_form_saves_with_the_version(world, make, as_user):
    c = make()
    client = as_user(world.supplier_admin)
    url = action_url(world, c, "edit")
    data = {
        "title": "Revised",
        "owner_id": world.supplier_member.pk,
        "due_date": in_days(9).isoformat(),
        "version": 1,
    }
    assert client.post(url, data).status_code == 302
    c.refresh_from_db()
    assert (c.title, c.owner_id, c.version) == ("Revised", world.supplier_member.pk, 2)
    response = client.post(url, {**data, "title": "Stale"}, follow=True)
    assert "changed by someone else" in response.content.decode()
    c.refresh_from_db()
    assert c.title == "Revised"


def test_detail_shows_the_moves_of_each_side(world, make, as_user):
    c = make()
    supplier_page = as_user(world.supplier_admin).get(detail_url(world, c)).content.decode()
    assert "Mark done" in supplier_page and "Cancel the commitment" in supplier_page
    assert "Acknowledge" not in supplier_page
    customer_page = as_user(world.customer_admin).get(detail_url(world, c)).content.decode()
    assert "Mark done" not in customer_page and "Acknowledge" not in customer_page


def test_done_then_acknowledge_through_the_pages(world, make, as_user):
    c = make()
    response = as_user(world.supplier_member).post(action_url(world, c, "done"), {"version": 1}, follow=True)
    assert "Marked done." in response.content.decode()
    page = as_user(world.customer_admin).get(detail_url(world, c)).content.decode()
    assert "Acknowledge" in page
    response = as_user(world.customer_admin).post(
        action_url(world, c, "acknowledge"), {"version": 2}, follow=True
    )
    assert "Acknowledged." in response.content.decode()
    c.refresh_from_db()
    assert c.status == CommitmentStatus.ACKNOWLEDGED


def test_forbidden_moves_through_the_pages(world, make, as_user):
    c = make()
    assert as_user(world.customer_admin).post(action_url(world, c, "done")).status_code == 403
    assert (
        as_user(world.customer_admin).post(action_url(world, c, "cancel"), {"reason": "x"}).status_code == 403
    )
    services.commitment_done(
        f.actor(world.supplier_admin), partnership_id=world.partnership.pk, commitment_id=c.pk
    )
    assert as_user(world.supplier_member).post(action_url(world, c, "acknowledge")).status_code == 403
    c.refresh_from_db()
    assert c.status == CommitmentStatus.DONE and c.version == 2


def test_acknowledging_an_open_commitment_shows_the_conflict(world, make, as_user):
    c = make(owner=world.customer_admin)
    response = as_user(world.supplier_admin).post(action_url(world, c, "acknowledge"), follow=True)
    assert "only a done commitment can be acknowledged" in response.content.decode()


def test_cancel_needs_a_reason(world, make, as_user):
    c = make()
    client = as_user(world.supplier_admin)
    response = client.post(action_url(world, c, "cancel"), {"reason": ""}, follow=True)
    assert "Say why the commitment is cancelled." in response.content.decode()
    response = client.post(action_url(world, c, "cancel"), {"reason": "Tidak perlu lagi"}, follow=True)
    assert "The commitment was cancelled." in response.content.decode()
    c.refresh_from_db()
    assert c.status == CommitmentStatus.CANCELLED and c.cancel_reason == "Tidak perlu lagi"


def test_strangers_get_404_everywhere(world, make, as_user):
    c = make()
    client = as_user(world.foreign_admin)
    for url in (list_url(world), detail_url(world, c), action_url(world, c, "edit")):
        assert client.get(url).status_code == 404
    for action in ("done", "acknowledge", "cancel"):
        assert client.post(action_url(world, c, action), {"reason": "x"}).status_code == 404
    c.refresh_from_db()
    assert c.status == CommitmentStatus.OPEN


def test_summary_card_shows_reliability_in_few_queries(world, make):
    c = make(title="Kirim forecast")
    services.commitment_done(
        f.actor(world.supplier_admin), partnership_id=world.partnership.pk, commitment_id=c.pk
    )
    make(title="Next one")
    template = Template("{% load commitments_web %}{% commitments_summary p actor %}")
    with CaptureQueriesContext(connection) as captured:
        html = template.render(Context({"p": world.partnership, "actor": f.actor(world.customer_admin)}))
    assert len(captured.captured_queries) <= 3
    assert "100% kept on time" in html and "Next one" in html


def test_edit_page_is_for_open_commitments_of_the_right_side(world, make, as_user):
    c = make()
    assert as_user(world.customer_admin).get(action_url(world, c, "edit")).status_code == 403
    services.commitment_done(
        f.actor(world.supplier_admin), partnership_id=world.partnership.pk, commitment_id=c.pk
    )
    response = as_user(world.supplier_admin).get(action_url(world, c, "edit"), follow=True)
    assert "Only an open commitment can be changed." in response.content.decode()


def test_an_ended_partnership_takes_no_new_commitments(world, as_user):
    world.partnership.status = "ended"
    world.partnership.save()
    client = as_user(world.supplier_admin)
    assert "New commitment" not in client.get(list_url(world)).content.decode()
    response = client.get(reverse("commitments:create", args=[world.partnership.pk]), follow=True)
    assert "its commitments can be read but not changed" in response.content.decode()


HTMX = {"HTTP_HX_REQUEST": "true"}


def test_list_rows_mark_done_and_acknowledge_inline_with_htmx(world, make, as_user):
    c = make(title="Kirim forecast")
    page = as_user(world.customer_admin).get(list_url(world)).content.decode()
    assert action_url(world, c, "done") not in page  # not the customer's promise
    page = as_user(world.supplier_member).get(list_url(world)).content.decode()
    assert action_url(world, c, "done") in page
    response = as_user(world.supplier_member).post(action_url(world, c, "done"), {"version": 1}, **HTMX)
    assert response.status_code == 200
    row = response.content.decode()
    assert row.lstrip().startswith(f'<tr id="commitment-{c.pk}"') and "Done" in row
    assert action_url(world, c, "acknowledge") not in row  # the supplier cannot acknowledge its own
    response = as_user(world.customer_admin).post(action_url(world, c, "acknowledge"), {"version": 1}, **HTMX)
    row = response.content.decode()
    assert "changed by someone else" in row and 'role="alert"' in row  # stale version: nothing changed
    c.refresh_from_db()
    assert c.status == CommitmentStatus.DONE
    response = as_user(world.customer_admin).post(action_url(world, c, "acknowledge"), {"version": 2}, **HTMX)
    assert "Acknowledged" in response.content.decode()
    c.refresh_from_db()
    assert c.status == CommitmentStatus.ACKNOWLEDGED
