"""The discussion pages: the thread panel on a record, commenting with htmx and without, notifications."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from tests import factories as f

from mitra.accounts.selectors import actor_from_membership
from mitra.partnerships.views import workspace_context
from mitra.threads.models import Comment, Notification

from .test_api import _comment


def _thread_url(world, risk) -> str:
    return f"/partnerships/{world.partnership.pk}/threads/risk/{risk.pk}/"


@pytest.mark.parametrize("language", ["en", "id"])
def test_the_thread_page_renders_in_both_languages(client, world, risk, language):
    _comment(world, risk, world.customer_admin, "Sudah kami cek <b>stoknya</b>", [world.supplier_member.pk])
    client.force_login(world.supplier_admin.user)
    client.cookies["mitra_language"] = language
    response = client.get(_thread_url(world, risk))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'lang="{language}"' in html
    assert "Sudah kami cek &lt;b&gt;stoknya&lt;/b&gt;" in html
    assert f"@{world.supplier_member.user.get_full_name()}" in html
    assert 'name="mention_ids" multiple' in html
    if language == "en":
        assert "Discussion" in html and "Post comment" in html


def test_posting_a_comment_with_htmx_returns_the_panel(client, world, risk):
    client.force_login(world.customer_admin.user)
    response = client.post(
        _thread_url(world, risk),
        {"body": "Kami kirim tambahan stok", "mention_ids": [world.supplier_admin.pk]},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "Kami kirim tambahan stok" in html
    comment = Comment.objects.get()
    assert comment.author == world.customer_admin and comment.author_side == "customer"
    assert Notification.objects.get(recipient=world.supplier_admin).verb == "mentioned"


def test_posting_without_javascript_redirects_to_the_comment(client, world, risk):
    client.force_login(world.supplier_member.user)
    response = client.post(_thread_url(world, risk), {"body": "Tanpa JS"})
    comment = Comment.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{comment.pk}")


def test_a_bad_comment_shows_the_field_errors(client, world, risk):
    client.force_login(world.supplier_admin.user)
    client.cookies["mitra_language"] = "en"
    response = client.post(_thread_url(world, risk), {"body": "   ", "mention_ids": [world.foreign_admin.pk]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "This field is required." in html
    assert "is not one of the available choices" in html
    assert not Comment.objects.exists()


def test_viewers_see_no_reply_form_and_cannot_post(client, world, risk):
    client.force_login(world.supplier_viewer.user)
    html = client.get(_thread_url(world, risk)).content.decode()
    assert 'name="body"' not in html
    assert client.post(_thread_url(world, risk), {"body": "x"}).status_code == 403
    assert not Comment.objects.exists()


def test_strangers_get_404_on_the_thread(client, world, risk):
    client.force_login(world.foreign_admin.user)
    assert client.get(_thread_url(world, risk)).status_code == 404
    assert client.post(_thread_url(world, risk), {"body": "x"}).status_code == 404


def test_editing_and_deleting_ones_own_comment_on_the_page(client, world, risk):
    comment = _comment(world, risk, world.supplier_admin, "Awal")
    client.force_login(world.supplier_admin.user)
    client.cookies["mitra_language"] = "id"
    edit = f"/partnerships/{world.partnership.pk}/comments/{comment.pk}/edit/"
    assert client.get(edit).status_code == 200
    assert client.get(edit, headers={"HX-Request": "true"}).content.decode().startswith("<li")
    response = client.post(edit, {"body": "", "version": 1})
    assert response.status_code == 200 and "field--error" in response.content.decode()
    response = client.post(edit, {"body": "Sudah diubah", "version": 1}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "Sudah diubah" in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == "Sudah diubah" and comment.version == 2
    delete = f"/partnerships/{world.partnership.pk}/comments/{comment.pk}/delete/"
    assert client.post(delete).status_code == 302
    assert not Comment.objects.exists()


def test_someone_elses_comment_cannot_be_edited_or_deleted_on_the_page(client, world, risk):
    comment = _comment(world, risk, world.customer_admin, "Punya pelanggan")
    client.force_login(world.supplier_admin.user)
    edit = f"/partnerships/{world.partnership.pk}/comments/{comment.pk}/edit/"
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"body": "Diambil alih"}).status_code == 403
    assert (
        client.post(f"/partnerships/{world.partnership.pk}/comments/{comment.pk}/delete/").status_code == 403
    )
    comment.refresh_from_db()
    assert comment.body == "Punya pelanggan"


def test_the_thread_panel_tag_takes_at_most_three_queries(world, risk):
    for i in range(5):
        _comment(
            world,
            risk,
            world.customer_admin if i % 2 else world.supplier_member,
            f"Komentar {i}",
            [world.supplier_admin.pk],
        )
    actor = actor_from_membership(world.supplier_admin)
    context = workspace_context(actor, world.partnership.pk, tab="risks")
    request = RequestFactory().get("/")
    request.user = world.supplier_admin.user
    template = Template('{% load threads_web %}{% thread_panel "risk" obj %}')
    with CaptureQueriesContext(connection) as captured:
        html = template.render(Context({**context, "obj": risk, "request": request}))
    assert len(captured.captured_queries) <= 3
    assert html.count('class="threads-comment"') == 5
    assert 'hx-post="/partnerships/' in html


# --- notifications ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "id"])
def test_the_notifications_page_lists_and_marks_read(client, world, risk, language):
    _comment(world, risk, world.supplier_admin, "Tolong cek", [world.customer_admin.pk])
    _comment(world, risk, world.supplier_member, "Lagi", [world.customer_admin.pk])
    client.force_login(world.customer_admin.user)
    client.cookies["mitra_language"] = language
    response = client.get("/notifications/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("threads-notification--unread") == 2 and risk.title in html
    badge = client.get("/notifications/badge/").content.decode()
    assert ">2<" in badge
    first = Notification.objects.filter(recipient=world.customer_admin).first()
    response = client.post(f"/notifications/{first.pk}/read/", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "threads-notification--unread" not in response.content.decode()
    assert client.post("/notifications/").status_code == 302
    assert not Notification.objects.filter(recipient=world.customer_admin, read_at__isnull=True).exists()
    assert "hidden" in client.get("/notifications/badge/").content.decode()


def test_opening_a_notification_marks_it_read_and_goes_to_the_record(client, world, risk):
    comment = _comment(world, risk, world.supplier_admin, "Lihat ini", [world.customer_admin.pk])
    n = Notification.objects.get(recipient=world.customer_admin)
    client.force_login(world.customer_admin.user)
    response = client.get(f"/notifications/{n.pk}/read/")
    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{comment.pk}")
    n.refresh_from_db()
    assert n.read_at is not None


def test_someone_elses_notification_is_not_found(client, world, risk):
    _comment(world, risk, world.supplier_admin, "Lihat ini", [world.customer_admin.pk])
    n = Notification.objects.get(recipient=world.customer_admin)
    client.force_login(world.customer_member.user)
    assert client.get(f"/notifications/{n.pk}/read/").status_code == 404
    assert client.post(f"/notifications/{n.pk}/read/").status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_the_navigation_has_a_notifications_link_that_loads_the_count(client, world):
    client.force_login(world.supplier_admin.user)
    html = client.get("/partnerships/").content.decode()
    assert 'href="/notifications/"' in html and 'hx-get="/notifications/badge/"' in html


def test_notifications_of_another_organisation_of_the_same_person_stay_there(client, world, risk):
    # The same person also works for the customer: notifications follow the membership they act for.
    other = f.MembershipFactory(user=world.supplier_admin.user, organisation=world.customer)
    _comment(world, risk, world.customer_admin, "Untuk anda", [other.pk])
    client.force_login(world.supplier_admin.user)
    client.post("/organisation/switch/", {"organisation": world.supplier.pk})
    assert "threads-notification--unread" not in client.get("/notifications/").content.decode()
    client.post("/organisation/switch/", {"organisation": world.customer.pk})
    assert "threads-notification--unread" in client.get("/notifications/").content.decode()


def test_notification_list_api_and_page_run_in_flat_queries(client, world, risk):
    from tests.apiclient import Api

    api = Api(client, world.customer_admin)
    client.force_login(world.customer_admin.user)

    def count(fn) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert fn().status_code == 200
        return len(captured.captured_queries)

    for _ in range(2):
        _comment(world, risk, world.supplier_admin, "Cek", [world.customer_admin.pk])
    api("GET", "/notifications")
    small = (count(lambda: api("GET", "/notifications")), count(lambda: client.get("/notifications/")))
    for i in range(18):
        _comment(
            world,
            risk,
            world.supplier_member if i % 2 else world.supplier_admin,
            "Lagi",
            [world.customer_admin.pk],
        )
    assert (
        count(lambda: api("GET", "/notifications")),
        count(lambda: client.get("/notifications/")),
    ) == small
    assert api("GET", "/notifications").json()["count"] == 20
