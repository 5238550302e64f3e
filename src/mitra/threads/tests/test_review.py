"""Review findings: odd ids, restricted notifications, XSS, the e-mail claim, deleted comments' events."""

from __future__ import annotations

import pytest
from tests import factories as f
from tests.apiclient import Api, check

from mitra.accounts.models import Role
from mitra.threads import selectors, services
from mitra.threads.models import Event, Notification
from mitra.threads.tasks import send_notification_email

from .test_api import _comment

HUGE = 10**30


def test_huge_or_odd_ids_on_the_pages_are_not_found(client, world, risk):
    client.force_login(world.supplier_admin.user)
    p = world.partnership.pk
    assert client.get(f"/partnerships/{p}/threads/risk/{HUGE}/").status_code == 404
    assert client.get(f"/partnerships/{p}/threads/risk/{2**63}/").status_code == 404
    assert client.get(f"/partnerships/{p}/threads/nope/{risk.pk}/").status_code == 404
    assert client.get(f"/partnerships/{p}/comments/{HUGE}/edit/").status_code == 404
    assert client.post(f"/partnerships/{p}/comments/{HUGE}/delete/").status_code == 404
    assert client.get(f"/notifications/{HUGE}/read/").status_code == 404
    assert client.get(f"/partnerships/{p}/timeline/?actor={HUGE}&since=2026-13-01&page=x").status_code == 200


def test_huge_ids_in_the_api_are_refused(client, world, risk):
    api = Api(client, world.supplier_admin)
    p = world.partnership.pk
    for path in (
        f"/partnerships/{p}/threads/risk/{HUGE}/comments",
        f"/partnerships/{p}/timeline?actor_id={HUGE}",
        f"/partnerships/{p}/timeline?since=2026-02-31",
        f"/partnerships/{p}/timeline?kind=nope",
        f"/partnerships/{p}/timeline?side=both",
    ):
        assert api("GET", path).status_code in (404, 422), path


def _restricted_thread(world, risk):
    risk.restricted_department = world.supplier_finance
    risk.save()
    finance = f.member(world.supplier, Role.MEMBER, "fin@sumber.test", [world.supplier_finance])
    comment = _comment(world, risk, world.customer_admin, "Rahasia", [finance.pk])
    return finance, comment


def test_someone_who_leaves_the_department_no_longer_sees_the_notification(client, world, risk, mailoutbox):
    finance, _comment_row = _restricted_thread(world, risk)
    notification = Notification.objects.get(recipient=finance)
    finance.departments.set([world.supplier_sales])
    actor = f.actor(finance)
    assert list(selectors.notification_list(actor)) == []
    assert selectors.unread_count(actor) == 0
    check(Api(client, finance), "POST", f"/notifications/{notification.pk}/read", None, 404)
    assert send_notification_email.call(notification.pk) is False
    assert mailoutbox == []


def test_the_email_claims_the_notification_before_sending(world, risk, mailoutbox, monkeypatch):
    _comment(world, risk, world.supplier_admin, "Sekali saja", [world.customer_admin.pk])
    n = Notification.objects.get(recipient=world.customer_admin)

    def fail(*args, **kwargs):
        raise OSError("smtp down")

    monkeypatch.setattr("mitra.threads.tasks.send_mail", fail)
    with pytest.raises(OSError):
        send_notification_email.call(n.pk)
    n.refresh_from_db()
    assert n.emailed_at is None  # a failed send can be retried
    monkeypatch.undo()
    assert send_notification_email.call(n.pk) is True
    assert len(mailoutbox) == 1


def test_comment_bodies_are_escaped_on_every_page(client, world, risk):
    evil = "<script>alert(1)</script> @Nobody <img src=x onerror=alert(2)>"
    _comment(world, risk, world.customer_admin, evil, [world.supplier_admin.pk])
    client.force_login(world.supplier_admin.user)
    p = world.partnership.pk
    for url in (
        f"/partnerships/{p}/threads/risk/{risk.pk}/",
        f"/partnerships/{p}/timeline/",
        "/notifications/",
    ):
        html = client.get(url).content.decode()
        assert "<script>alert(1)" not in html and "<img src=x" not in html, url


def test_deleting_a_comment_removes_its_event_even_when_the_records_link_changed(world, risk):
    comment = _comment(world, risk, world.supplier_admin, "Hapus nanti")
    Event.objects.filter(verb="commented").update(url=f"/old/place/#comment-{comment.pk}")
    services.comment_update(
        f.actor(world.supplier_admin), partnership_id=world.partnership.pk, comment_id=comment.pk, body="Baru"
    )
    assert Event.objects.get(verb="commented").detail == "Baru"
    services.comment_delete(
        f.actor(world.supplier_admin), partnership_id=world.partnership.pk, comment_id=comment.pk
    )
    assert not Event.objects.filter(verb="commented").exists()


def test_the_author_is_not_notified_through_their_membership_of_the_other_side(world, risk):
    # One person works for both companies: commenting as the supplier must not notify them as the customer.
    twin = f.member(world.customer, Role.MEMBER, "twin@ritel.test")
    twin.user = world.supplier_member.user
    twin.save()
    _comment(world, risk, twin, "Dari sisi pelanggan")
    _comment(world, risk, world.supplier_member, "Dari sisi pemasok", [twin.pk])
    assert not Notification.objects.filter(recipient=twin).exists()
    assert not Notification.objects.filter(recipient=world.supplier_member).exists()


def test_a_second_run_during_the_first_send_sends_nothing(world, risk, mailoutbox, monkeypatch):
    # Two workers on the same notification: while the first is sending, the second must not send again.
    _comment(world, risk, world.supplier_admin, "Sekali", [world.customer_admin.pk])
    n = Notification.objects.get(recipient=world.customer_admin)
    from mitra.threads import tasks

    real = tasks.send_mail
    second: list[bool] = []

    def send_while_another_runs(*args, **kwargs):
        if not second:
            second.append(send_notification_email.call(n.pk))
        return real(*args, **kwargs)

    monkeypatch.setattr(tasks, "send_mail", send_while_another_runs)
    assert send_notification_email.call(n.pk) is True
    assert second == [False]
    assert len(mailoutbox) == 1
